/**
 * What each client did lately, for the limits that slow down or refuse one client (things created
 * a minute, wrong join codes): counted in this process's memory on a server alone, in the database
 * the nodes share on a cluster (so the limits are the cluster's, whichever node a request reaches).
 */
package sinapsis.throttle;

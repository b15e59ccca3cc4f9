/**
 * The web layer: pages (Thymeleaf), the JSON API, the WebSocket stream, languages. Handlers stay
 * thin: parse, call a service, answer. Never imports ND4J.
 */
package sinapsis.web;

-- Whether a session's network has image layers (Conv2D, MaxPooling2D): a CPU worker leaves such a run
-- waiting for a moment when a CUDA worker is up, so image networks go to the GPU first (issue 17).
ALTER TABLE sessions ADD COLUMN image_network INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET image_network = 1 WHERE LOWER(network) LIKE '%conv2d%' OR LOWER(network) LIKE '%maxpool2d%';

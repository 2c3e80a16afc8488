-- After a change the device usually runs exactly its intended config. The row then keeps that config once and says the
-- observed one is the same, instead of a second copy: on a core device of hundreds of routes the copy was most of every
-- config write.
ALTER TABLE devices ADD COLUMN IF NOT EXISTS observed_is_intended boolean NOT NULL DEFAULT false;

-- SPDX-License-Identifier: GPL-2.0-only
-- Administrative shutdown: a port shut down (1) takes in and sends out
-- nothing and keeps its settings; 0, as before, forwards.
ALTER TABLE port ADD COLUMN shutdown INTEGER NOT NULL DEFAULT 0
	CHECK (shutdown IN (0, 1));

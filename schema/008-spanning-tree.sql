-- SPDX-License-Identifier: GPL-2.0-only
-- Spanning tree (doc/stp.md): a bridge's settings, a port's. A bridge
-- without a row runs none, as before; a port without one has the
-- defaults.
CREATE TABLE stp_bridge (
	bridge TEXT PRIMARY KEY REFERENCES bridge(name) ON DELETE CASCADE,
	mode INTEGER NOT NULL DEFAULT 0 CHECK (mode BETWEEN 0 AND 2),
	priority INTEGER NOT NULL DEFAULT 32768
		CHECK (priority BETWEEN 0 AND 61440 AND priority % 4096 = 0),
	hello INTEGER NOT NULL DEFAULT 2 CHECK (hello BETWEEN 1 AND 10),
	fwd_delay INTEGER NOT NULL DEFAULT 15
		CHECK (fwd_delay BETWEEN 4 AND 30),
	max_age INTEGER NOT NULL DEFAULT 20 CHECK (max_age BETWEEN 6 AND 40)
);

CREATE TABLE stp_port (
	ifname TEXT PRIMARY KEY REFERENCES port(ifname) ON DELETE CASCADE,
	cost INTEGER NOT NULL DEFAULT 0
		CHECK (cost BETWEEN 0 AND 200000000),
	priority INTEGER NOT NULL DEFAULT 128
		CHECK (priority BETWEEN 0 AND 240 AND priority % 16 = 0),
	flags INTEGER NOT NULL DEFAULT 0 CHECK (flags BETWEEN 0 AND 63)
);

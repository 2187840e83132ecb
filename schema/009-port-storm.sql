-- SPDX-License-Identifier: GPL-2.0-only
-- Storm control: the most flooded frames per second a port takes in, by
-- kind; 0, as before, no limit.
ALTER TABLE port ADD COLUMN storm_broadcast INTEGER NOT NULL DEFAULT 0
	CHECK (storm_broadcast BETWEEN 0 AND 1000000000);
ALTER TABLE port ADD COLUMN storm_multicast INTEGER NOT NULL DEFAULT 0
	CHECK (storm_multicast BETWEEN 0 AND 1000000000);
ALTER TABLE port ADD COLUMN storm_unknown_unicast INTEGER NOT NULL DEFAULT 0
	CHECK (storm_unknown_unicast BETWEEN 0 AND 1000000000);
-- The kinds whose limit is a percentage of the link's speed, as bits
-- (broadcast 1, multicast 2, unknown unicast 4).
ALTER TABLE port ADD COLUMN storm_percent INTEGER NOT NULL DEFAULT 0
	CHECK (storm_percent >= 0 AND storm_percent & ~7 = 0);

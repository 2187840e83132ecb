-- SPDX-License-Identifier: GPL-2.0-only
-- Flood control: the floods a port does not receive, as XBR_PORT_F_NO_*
-- bits (unknown unicast 32, multicast 64, broadcast 128); 0, as before,
-- every flood.
ALTER TABLE port ADD COLUMN flood_off INTEGER NOT NULL DEFAULT 0
	CHECK (flood_off >= 0 AND flood_off & ~224 = 0);

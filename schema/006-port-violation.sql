-- SPDX-License-Identifier: GPL-2.0-only
-- The learn limit's violation action, what a new source at the limit
-- does: 0, as before, it is not learned and its frames are forwarded;
-- 1 (shutdown), the port is err-disabled; 2 (protect), its frames are
-- dropped; 3 (restrict), dropped and logged.
ALTER TABLE port ADD COLUMN violation INTEGER NOT NULL DEFAULT 0
	CHECK (violation IN (0, 1, 2, 3));

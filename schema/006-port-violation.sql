-- SPDX-License-Identifier: GPL-2.0-only
-- The learn limit's violation action: 1, a new source at the limit
-- err-disables the port; 0, as before, the source is not learned and the
-- frame is forwarded.
ALTER TABLE port ADD COLUMN violation INTEGER NOT NULL DEFAULT 0
	CHECK (violation IN (0, 1));

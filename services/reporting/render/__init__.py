"""The board report as people read it: HTML with charts, CSV and Excel. Imported only when asked for."""

"""Pages of 目标考核与驾驶舱: thin views over selectors (reads) and services (writes)."""

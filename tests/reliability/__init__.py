"""Platform faults and pacing: the daily fan-out neither loses nor duplicates a post."""

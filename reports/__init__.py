"""What people read beside the warehouse: the story report (timelines, who said what, disputes) and the
validation report of every run, as static HTML rendered by pure functions and written by their writers."""

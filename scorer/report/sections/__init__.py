"""The weekly report's sections, one module each: each turns a week (scorer.report.week.WeekData)
into its section's figures; scorer.report.writer composes them into the report's context."""

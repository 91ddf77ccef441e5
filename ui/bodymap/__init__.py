"""Body map screens: the chart editor, the comparison view and the client tab."""

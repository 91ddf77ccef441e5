"""Documents on screen: the PDF preview (print, save, open), the Documents tab, summaries."""

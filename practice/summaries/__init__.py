"""Physician treatment summaries: the content gathered from a plan or period, and issued copies."""

"""Visits: the SOAP note, treatment log, signing and amendments, templates and outcome measures.

`records` holds the plain data, `techniques` the starter technique list and the deep-work
check, `measures` the pure clinical arithmetic (MCIDs, PSFS, the 8-minute rule), `validation`
the checks a draft must pass, `service` the note use cases and `outcomes` the measure ones.
"""

"""The technique library: the techniques visits log, plans plan and superbills bill.

`library` seeds the starter list and edits the library, `records` holds the plain data and
`models` the table. It sits below visits and plans, which both use it.
"""

"""Treatment plans: the technique library, trigger point catalogue, ICD-10-CM codes and plans.

`techniques` is the editable technique library (seeded with a starter list), `trigger_points`
the muscle referral catalogue and the chart-to-muscle suggestion, `icd10` the diagnosis code
index, `goals` the pure goal arithmetic, `service` the plan use cases and `progress` what a
plan shows against the visits done.
"""

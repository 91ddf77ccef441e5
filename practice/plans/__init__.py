"""Treatment plans: the trigger point catalogue, ICD-10-CM codes and plans.

`trigger_points` is the muscle referral catalogue and the chart-to-muscle suggestion, `icd10`
the diagnosis code index, `goals` the pure goal arithmetic, `service` the plan use cases and
`progress` what a plan shows against the visits done. The technique library they plan from is
`practice.techniques`.
"""

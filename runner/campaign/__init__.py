"""Benchmark campaigns: many models × tasks from one plan, on Slurm or on this machine.

plan     the TOML plan, validated (``load_plan``; limits and defaults named there)
bundle   one job: the runner once, an immutable result bundle or a failure marker
slurm    the job-array and final-job scripts, sbatch, squeue, sacct
collect  the final check: bundles through the submission checker into the store, pending
cli      ``python -m runner campaign plan|submit|status|resume|collect|job``
"""

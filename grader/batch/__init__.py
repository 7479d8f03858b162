"""Class-scale grading: ``python -m grader batch SUBMISSIONS`` and ``grade_class(...)`` behind it.

submissions  find one folder or .zip per student; unpack zips safely
records      the output folder: one results record and one report per student, written atomically
worker       grade one student (the same code in a local worker and on Dask)
pool         warm local worker processes; clean stop on Ctrl-C / SIGTERM
cluster      the same tasks on a Dask cluster (--dask-scheduler)
gradebook    gradebook.csv, the summary table and summary.png, from the records
run          grade_class: resume, pool or cluster, progress, gradebook
cli          the command line
"""

"""Benchmarks of the kit at the scale of a large trust case: ``python -m benchmarks`` (or ``make bench``).

Generates ``--scale large`` training data once (cached under ``benchmarks/data/``, git-ignored),
derives follower lists of 10k, 100k and 1M rows from it, and measures each step in a fresh
subprocess (time, and peak RSS from ``os.wait4``'s rusage beside the interpreter+imports
baseline): import+persist against a bare ``pandas.read_csv(engine="pyarrow")`` of the same file,
overlap matrix, leads and chronology over the rows, the sample case's report and ``investigate demo``.
Prints a table with PASS/MISS for each target. ``--smoke`` is a few-second run for the tests.
"""

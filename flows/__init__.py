"""How a run happens: the Prefect flow and its batch stages, the input edge (finding and reading seed files),
the plan of what changed, the worker processes (local, Dask, the validation worker), Prefect's servers, the
run lock, and `watch`/`serve`; configuration (`Settings`) enters here."""

"""Orchestration: the Prefect flow, its batch stages, the input edge and the command line."""

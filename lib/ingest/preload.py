"""What the fork server of the ingest's workers (``pipeline.fork_server``) loads before it forks any: the pipeline,
and the models that reading metadata would otherwise load in each worker on first use (``metadata.load_models``)."""

from lib.ingest import metadata, pipeline  # noqa: F401 - loaded for the workers forked from here

metadata.load_models()

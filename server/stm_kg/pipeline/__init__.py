"""The build pipeline, one module per stage: sources -> reasoning -> validation -> compiled dataset.

The pipeline knows nothing of the store or of HTTP.
"""

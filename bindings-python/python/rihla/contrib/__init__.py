"""Small adapters for web frameworks: :mod:`rihla.contrib.fastapi` and
:mod:`rihla.contrib.drf`. Each imports its framework, so import it only where the
framework is installed; ``import rihla`` imports neither."""

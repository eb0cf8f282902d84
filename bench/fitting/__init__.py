"""Fitting: the scripts that fitted the product's small models (the judge, the alignment model)
or chose its constants (fusion weights, compare thresholds), on development data only."""

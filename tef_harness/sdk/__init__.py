"""What a check sees: the check contract, its parameters, the run context, the model-adapter
protocol, the values a check returns, statistics helpers, the error types and the data and
document types. Plugin authors import these through ``tef_harness.api``."""

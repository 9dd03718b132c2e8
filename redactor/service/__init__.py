"""The service around the engine: what the API, the CLI and the job workers share.

Settings, request options, plans, keys, metering and pricing, the store, and the job lifecycle. No
HTTP framework here: the API and the CLI at the edge use it.
"""

module reconfd.local/conformance

go 1.19

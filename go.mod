module medharden

go 1.19

require (
	github.com/stretchr/testify v1.10.0 // indirect
	golang.org/x/text v0.22.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

"""Stage 6: model + theme -> {output path: bytes}. pages describes and renders every page, theme
finds templates, UI strings and assets, parallel spreads rendering over cores, related picks
each case's related cases. Imports the model, errors and store; never write or build."""

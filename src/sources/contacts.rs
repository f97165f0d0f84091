//! `--contacts`: a name → phone map from a CSV or a vCard (`.vcf`) file.

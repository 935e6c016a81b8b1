profiles show chrom/76

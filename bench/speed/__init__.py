"""Speed: each timing printed beside a baseline measured in the same run (raw Chroma calls,
the raw model, an earlier release), as ratios; the machine is shared and noisy."""

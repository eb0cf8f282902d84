"""Quality: the product's verdicts scored on labelled data (the development halves in
../shared/data and hand labels in bench/data), each beside a baseline computed in the same run."""

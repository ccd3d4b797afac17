//! TEI P5 parallel-segmentation apparatus (work in progress).

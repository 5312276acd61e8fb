"""FrameScope analysis library: pure functions from article files to analyses."""

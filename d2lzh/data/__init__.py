"""Data set loaders: each looks on disk first (``root``, then ``$D2LZH_DATA``, then its fallbacks).

``d2lzh.data.store`` resolves folders, downloads with checksums and unpacks safely;
``d2lzh.data.synthetic`` writes small stand-in data sets in the real file formats.
"""

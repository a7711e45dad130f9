"""Regenerates every golden file. Run from anywhere with Debian's PyTorch:

    apt-get install -y python3-torch      # once
    /usr/bin/python3 tools/golden/generate_all.py
"""
import glob
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

for script in sorted(glob.glob(os.path.join(HERE, "gen_*.py"))):
    runpy.run_path(script, run_name="__main__")

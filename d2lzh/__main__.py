"""Command line of d2lzh: ``python -m d2lzh doctor [--json]``."""
import argparse
import sys

from . import doctor


def build_parser():
    """The argument parser: one sub-command per tool."""
    parser = argparse.ArgumentParser(
        prog="python -m d2lzh",
        description="Tools for d2lzh, the utility package of Dive into Deep Learning (MXNet edition).",
        epilog="Start with `python -m d2lzh doctor` when import mxnet, plotting or data loading fails.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    doctor = commands.add_parser(
        "doctor", help="check Python, mxnet, numpy, matplotlib, CPU/GPU and data folders; print fixes",
        description="Report versions, mxnet build features, GPUs, CPU flags, data sets found on disk and"
                    " environment settings, with a fix for each problem. Exit code 1 when a problem is found.")
    doctor.add_argument("--json", action="store_true", help="print the findings as JSON")
    return parser


def main(argv=None):
    """Parse ``argv`` and run the chosen command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "doctor":
        return doctor.main(as_json=args.json)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())

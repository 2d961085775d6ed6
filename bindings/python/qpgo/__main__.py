"""Command line: ``python3 -m qpgo info FILE`` / ``show FILE [INDEX] [-o PNG]``."""
import argparse
import sys

from . import _inspect


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="python3 -m qpgo",
        description="Inspect qpimage/QPSeries/FLImage/FLSeries/imageseries "
                    "and frame-cache files")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("info", help="print kind, members, shapes, meta "
                       "data, backgrounds, integrity check")
    p.add_argument("file")
    p = sub.add_parser("show", help="render an image (member/frame INDEX) "
                       "to PNG")
    p.add_argument("file")
    p.add_argument("index", nargs="?", type=int, default=0)
    p.add_argument("-o", "--output", default=None)
    args = ap.parse_args(argv)
    try:
        if args.cmd == "info":
            print("\n".join(_inspect.info(args.file)))
        else:
            print(_inspect.show(args.file, args.index, args.output))
    except (OSError, ValueError, KeyError, IndexError) as e:
        print("qpgo: {}".format(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

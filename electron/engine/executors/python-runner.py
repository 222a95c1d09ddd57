"""Runs one PythonCodeNode's code: JSON {code, inputs} on stdin, JSON answer on stdout.

The inputs become variables; the value of `result` is the answer. What the code prints goes to
stderr, so stdout carries only the answer.
"""
import datetime
import decimal
import json
import sys
import traceback


def encode(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"a {type(value).__name__} cannot be turned into JSON")


def main():
    payload = json.load(sys.stdin)
    answer = sys.stdout
    sys.stdout = sys.stderr
    namespace = {"__name__": "__dataflow__"}
    namespace.update(payload["inputs"])
    try:
        exec(compile(payload["code"], "<code>", "exec"), namespace)
    except BaseException as e:  # noqa: BLE001 - report SystemExit and KeyboardInterrupt too
        traceback.print_exc()
        answer.write(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
        return 1
    if "result" not in namespace:
        answer.write(json.dumps({"ok": True, "missing": True, "result": None}))
        return 0
    try:
        text = json.dumps(namespace["result"], default=encode, allow_nan=False)
    except (TypeError, ValueError) as e:
        answer.write(json.dumps({"ok": False, "error": f"result is not JSON: {e}"}))
        return 1
    answer.write('{"ok": true, "result": ' + text + "}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

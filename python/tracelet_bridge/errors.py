"""An SDK call that failed, named so that the extension can say which call it was."""


class SdkError(Exception):
    def __init__(self, call, cause):
        super().__init__(f"{call}: {type(cause).__name__}: {cause}")
        self.call = call
        self.cause = cause


def sdk_call(call, fn, *args, **kwargs):
    """Runs one SDK call; any exception becomes an SdkError naming the call."""
    try:
        return fn(*args, **kwargs)
    except SdkError:
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit from an SDK is a failed call too
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise SdkError(call, exc) from exc

"""A reader of a Streamlit page without a browser, for the load test (bench/site_load.py): it opens a
session over the app's WebSocket as the browser does, asks for one run of the page, and receives every
message of that run (the rendered table included) until the run finishes. One call is one page view
of a new visitor: a new session each time, as a reader arriving from a link."""

from __future__ import annotations

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


async def read_page(base_url: str, query: str = "", timeout_s: float = 60.0) -> int:
    """Open ``base_url`` (http://host:port) with ``query`` and return the bytes received for its run."""
    ws_url = base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
    received = 0
    async with websockets.connect(
        ws_url, subprotocols=[websockets.Subprotocol("streamlit")], max_size=None, open_timeout=timeout_s
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        await ws.send(msg.SerializeToString())
        while True:
            data = await ws.recv()
            received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data if isinstance(data, bytes) else data.encode())
            if forward.WhichOneof("type") == "script_finished":
                return received

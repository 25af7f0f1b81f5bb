"""A TCP proxy in front of a real service (PostgreSQL, Redis) that can be made to hang.

`freeze()` makes the service look hung: connections are still accepted (the kernel does
that), but nothing is forwarded either way, exactly what a stopped or overloaded server
looks like to its clients. `thaw(drop=True)` ends every connection made so far (as a
restarted server does) and forwards again. `stop()` closes everything; use it as a context
manager so a failing test leaves nothing running.
"""

import socket
import threading


class FaultProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name=f"fault-proxy-{self.port}", daemon=True)
        self._thread.start()

    def __enter__(self) -> "FaultProxy":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def freeze(self) -> None:
        self._forwarding.clear()

    def thaw(self, *, drop: bool = True) -> None:
        if drop:
            self._drop_all()
        self._forwarding.set()

    def stop(self) -> None:
        self._closed.set()
        self._forwarding.set()
        try:
            self._listener.close()
        except OSError:
            pass
        self._drop_all()
        self._thread.join(timeout=5)

    def _drop_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept(self) -> None:
        self._listener.settimeout(0.2)
        while not self._closed.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._track(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        self._forwarding.wait()  # a hung server does not even answer the start of a connection
        if self._closed.is_set():
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            client.close()
            return
        self._track(upstream)
        threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()
        self._pump(client, upstream)

    def _pump(self, source: socket.socket, destination: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self._forwarding.wait()
                destination.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, destination):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

"""Embedded simulated upstream provider: the provider's contract on a loopback port.

Used by ``proxyshop-desktop --demo``, end-to-end and fault-injection tests, and benchmarks.
Qt-free; stdlib + pydantic only.
"""

from . import faults
from .catalogue import generate_catalogue
from .demo import run_demo_provider
from .errors import (
    BadRequest,
    BalanceTooLow,
    NotRefundable,
    ProxyNotFound,
    PurchaseNotFound,
    RemoteFailure,
    SimError,
)
from .faults import Fault, FaultPlan, RequestLog, RequestRecord
from .provider import DEMO_TOKEN, SimulatedProvider
from .server import SimulatorServer
from .socks import SocksGateway

__all__ = [
    "DEMO_TOKEN",
    "BadRequest",
    "BalanceTooLow",
    "Fault",
    "FaultPlan",
    "NotRefundable",
    "ProxyNotFound",
    "PurchaseNotFound",
    "RemoteFailure",
    "RequestLog",
    "RequestRecord",
    "SimError",
    "SimulatedProvider",
    "SimulatorServer",
    "SocksGateway",
    "faults",
    "generate_catalogue",
    "run_demo_provider",
]

"""SalesService over gRPC: requests become use-case calls, results become replies."""

from __future__ import annotations

import grpc

from warden.platform.grpc_server import require
from warden.platform.proto_convert import money_in, money_out
from warden.sales.domain import Product, Salesperson
from warden.sales.service import SalesApp
from warden.v1 import sales_pb2, sales_pb2_grpc

SERVICE_NAME = sales_pb2.DESCRIPTOR.services_by_name["SalesService"].full_name


def _product_out(product: Product) -> sales_pb2.Product:
    return sales_pb2.Product(
        product_id=product.product_id,
        name=product.name,
        list_price=money_out(product.list_price),
        floor_price=money_out(product.floor_price),
        current_price=money_out(product.current_price),
    )


class SalesServicer(sales_pb2_grpc.SalesServiceServicer):
    def __init__(self, app: SalesApp) -> None:
        self.app = app

    def RegisterSalesperson(self, request, context: grpc.ServicerContext):  # type: ignore[no-untyped-def] # noqa: N802
        p = request.salesperson
        person = self.app.register_salesperson(
            Salesperson(
                salesperson_id=require(p.salesperson_id, "salesperson.salesperson_id"),
                name=require(p.name, "salesperson.name"),
                role=require(p.role, "salesperson.role"),
                team=require(p.team, "salesperson.team"),
            )
        )
        return sales_pb2.RegisterSalespersonResponse(
            salesperson=sales_pb2.Salesperson(
                salesperson_id=person.salesperson_id,
                name=person.name,
                role=person.role,
                team=person.team,
            )
        )

    def SetListPrice(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        product = self.app.set_list_price(
            require(request.product_id, "product_id"),
            require(request.name, "name"),
            money_in(request.list_price, "list_price"),
            money_in(request.floor_price, "floor_price"),
        )
        return sales_pb2.SetListPriceResponse(product=_product_out(product))

    def ChangePrice(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        result = self.app.change_price(
            product_id=require(request.product_id, "product_id"),
            salesperson_id=require(request.salesperson_id, "salesperson_id"),
            new_price=money_in(request.new_price, "new_price"),
            approved_by=request.approved_by.strip(),
            reason=request.reason,
            idempotency_key=request.idempotency_key,
        )
        return sales_pb2.ChangePriceResponse(
            price_change_id=result.price_change_id,
            product=_product_out(result.product),
            event_id=result.event_id,
        )

    def GetProduct(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        product = self.app.get_product(require(request.product_id, "product_id"))
        return sales_pb2.GetProductResponse(product=_product_out(product))

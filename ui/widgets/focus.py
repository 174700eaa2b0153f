"""A focus ring that can be seen: the app's style with a clear outline on the focused
widget, so that a keyboard user always knows where the next key goes."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionComplex, QWidget

#: Width of the ring, in device-independent pixels.
RING = 2.0

#: Framed editors and lists: the ring goes around their frame.
_FRAMES = (QStyle.PrimitiveElement.PE_FrameLineEdit, QStyle.PrimitiveElement.PE_Frame)
_CONTROLS = (QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox)


def ring_colour(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)


def draw_ring(painter: QPainter, rect: QRectF, palette: QPalette, radius: float = 3.0) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(ring_colour(palette), RING)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = RING / 2
    painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), radius, radius)
    painter.restore()


def _has_focus(option: QStyleOption, widget: QWidget | None) -> bool:
    return bool(option.state & QStyle.StateFlag.State_HasFocus) and \
        (widget is None or widget.hasFocus())


class FocusRingStyle(QProxyStyle):
    """Fusion, with every focused control outlined in the highlight colour."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            # check boxes, radio buttons, the current cell of a focused list
            draw_ring(painter, QRectF(option.rect), option.palette, 2.0)
        elif element == QStyle.PrimitiveElement.PE_PanelButtonCommand \
                and _has_focus(option, widget):
            draw_ring(painter, QRectF(option.rect), option.palette)
        elif element in _FRAMES and _has_focus(option, widget):
            draw_ring(painter, QRectF(option.rect), option.palette, 2.0)

    def drawComplexControl(self, control: QStyle.ComplexControl, option: QStyleOptionComplex,
                           painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _CONTROLS and _has_focus(option, widget):
            draw_ring(painter, QRectF(option.rect), option.palette)

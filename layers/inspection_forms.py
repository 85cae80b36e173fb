"""The inspection forms of the asset layers, each with its condition rule and source.

A form's checks are attributes (typed, with allowed values and labels); its
rule says which attribute of the asset the answers set.  The layer modules
hand these to their feature types (``FeatureType(..., inspections=...)``).
"""

from twin.declare import Attribute, ConditionRule, InspectionForm, choices

__all__ = ["LAMP_CHECK", "MANHOLE_CHECK", "PIPE_CONDITION", "TREE_RISK", "VALVE_EXERCISE"]


def _note() -> Attribute:
    return Attribute("note", "text", "Ghi chú", "Note")


TREE_RISK = InspectionForm(
    "traq", "Đánh giá rủi ro cây (ISA TRAQ)", "Tree risk assessment (ISA TRAQ)",
    checks=(
        Attribute("likelihood_failure", "text", "Khả năng gãy đổ", "Likelihood of failure",
                  required=True, choices=choices({
                      "improbable": ("Khó xảy ra", "Improbable"),
                      "possible": ("Có thể", "Possible"),
                      "probable": ("Nhiều khả năng", "Probable"),
                      "imminent": ("Sắp xảy ra", "Imminent"),
                  })),
        Attribute("likelihood_impact", "text", "Khả năng va vào mục tiêu",
                  "Likelihood of impacting the target", required=True, choices=choices({
                      "very_low": ("Rất thấp", "Very low"), "low": ("Thấp", "Low"),
                      "medium": ("Trung bình", "Medium"), "high": ("Cao", "High"),
                  })),
        Attribute("consequences", "text", "Hậu quả", "Consequences", required=True,
                  choices=choices({
                      "negligible": ("Không đáng kể", "Negligible"),
                      "minor": ("Nhỏ", "Minor"),
                      "significant": ("Đáng kể", "Significant"),
                      "severe": ("Nghiêm trọng", "Severe"),
                  })),
        Attribute("target", "text", "Mục tiêu (người, xe, đường dây…)",
                  "Target (people, vehicles, power line…)"),
        Attribute("defects", "text", "Khuyết tật quan sát", "Defects seen"),
        _note(),
    ),
    rule=ConditionRule(
        "traq", "risk_level",
        "ISA Best Management Practices: Tree Risk Assessment, 2nd ed. (2017), "
        "Matrix 1 (likelihood) and Matrix 2 (risk rating)",
        grades={"rating": {"low": "low", "moderate": "medium", "high": "high",
                           "extreme": "extreme"}},
        source_vi="Hướng dẫn đánh giá rủi ro cây của ISA (Tree Risk Assessment, tái bản "
                  "2017), ma trận 1 (khả năng) và ma trận 2 (mức rủi ro)",
    ),
)

VALVE_EXERCISE = InspectionForm(
    "exercise", "Vận hành thử van", "Valve exercise",
    checks=(
        Attribute("operation", "text", "Thao tác", "Operation", required=True,
                  choices=choices({
                      "exercised": ("Đóng mở bình thường", "Exercised"),
                      "stiff": ("Nặng, khó xoay", "Stiff"),
                      "seized": ("Kẹt, không xoay được", "Seized"),
                  })),
        Attribute("leak", "text", "Rò rỉ", "Leak", required=True, choices=choices({
            "none": ("Không", "None"), "weeping": ("Rịn nước", "Weeping"),
            "leaking": ("Rò rỉ", "Leaking"),
        })),
        Attribute("turns", "integer", "Số vòng xoay", "Turns to close", minimum=0, maximum=500),
        Attribute("box", "text", "Hộp van", "Valve box", choices=choices({
            "ok": ("Tốt", "Good"), "damaged": ("Hư hỏng", "Damaged"),
            "buried": ("Bị lấp", "Buried"),
        })),
        _note(),
    ),
    rule=ConditionRule(
        "worst", "condition",
        "AWWA M44 Distribution Valves (exercise outcome); the worst answer sets the condition",
        grades={
            "operation": {"exercised": "good", "stiff": "fair", "seized": "failed"},
            "leak": {"none": "good", "weeping": "fair", "leaking": "poor"},
            "box": {"ok": "good", "damaged": "fair", "buried": "fair"},
        },
        source_vi="Sổ tay AWWA M44 về van phân phối (kết quả vận hành thử); câu trả lời xấu "
                  "nhất quyết định tình trạng",
    ),
)

LAMP_CHECK = InspectionForm(
    "lamp_check", "Kiểm tra đèn", "Lamp check",
    checks=(
        Attribute("lamp", "text", "Đèn", "Lamp", required=True, choices=choices({
            "working": ("Sáng bình thường", "Working"), "dim": ("Sáng yếu", "Dim"),
            "flickering": ("Chập chờn", "Flickering"), "out": ("Tắt", "Out"),
        })),
        Attribute("pole", "text", "Cột", "Pole", choices=choices({
            "sound": ("Tốt", "Sound"), "corroded": ("Gỉ sét", "Corroded"),
            "leaning": ("Nghiêng", "Leaning"), "damaged": ("Hư hỏng", "Damaged"),
        })),
        _note(),
    ),
    rule=ConditionRule(
        "worst", "condition",
        "the lighting operator's rule: the worst of lamp and pole sets the condition",
        grades={
            "lamp": {"working": "good", "dim": "fair", "flickering": "fair", "out": "poor"},
            "pole": {"sound": "good", "corroded": "fair", "leaning": "poor",
                     "damaged": "failed"},
        },
        source_vi="quy tắc của đơn vị chiếu sáng: tình trạng xấu hơn của đèn và cột quyết "
                  "định tình trạng",
    ),
)

MANHOLE_CHECK = InspectionForm(
    "manhole_check", "Kiểm tra hố ga", "Manhole check",
    checks=(
        Attribute("cover", "text", "Nắp", "Cover", required=True, choices=choices({
            "intact": ("Nguyên vẹn", "Intact"), "cracked": ("Nứt vỡ", "Cracked"),
            "missing": ("Mất nắp", "Missing"),
        })),
        Attribute("blockage", "text", "Tắc nghẽn", "Blockage", required=True,
                  choices=choices({
                      "none": ("Không", "None"), "partial": ("Một phần", "Partial"),
                      "full": ("Tắc hoàn toàn", "Full"),
                  })),
        Attribute("odour", "text", "Mùi", "Odour", choices=choices({
            "none": ("Không", "None"), "faint": ("Nhẹ", "Faint"), "strong": ("Nặng", "Strong"),
        })),
        _note(),
    ),
    rule=ConditionRule(
        "worst", "condition",
        "NASSCO MACP structural and operational observations, the worst answer sets "
        "the condition",
        grades={
            "cover": {"intact": "good", "cracked": "poor", "missing": "failed"},
            "blockage": {"none": "good", "partial": "fair", "full": "poor"},
            "odour": {"none": "good", "faint": "fair", "strong": "poor"},
        },
        source_vi="các quan sát kết cấu và vận hành theo NASSCO MACP; câu trả lời xấu nhất "
                  "quyết định tình trạng",
    ),
)

PIPE_CONDITION = InspectionForm(
    "pipe_condition", "Đánh giá tình trạng ống (khi đào lộ)",
    "Pipe condition (when exposed)",
    checks=(
        Attribute("corrosion", "text", "Ăn mòn", "Corrosion", required=True, choices=choices({
            "none": ("Không", "None"), "light": ("Nhẹ", "Light"),
            "moderate": ("Vừa", "Moderate"), "severe": ("Nặng", "Severe"),
        })),
        Attribute("leak", "text", "Rò rỉ", "Leak", required=True, choices=choices({
            "none": ("Không", "None"), "weeping": ("Rịn nước", "Weeping"),
            "leaking": ("Rò rỉ", "Leaking"), "burst": ("Vỡ", "Burst"),
        })),
        Attribute("wall_loss_pct", "float", "Hao mòn thành ống", "Wall loss", unit="%",
                  minimum=0, maximum=100),
        _note(),
    ),
    rule=ConditionRule(
        "worst", "condition",
        "the water utility's grading of an exposed main: the worst of corrosion and leak",
        grades={
            "corrosion": {"none": "good", "light": "fair", "moderate": "poor",
                          "severe": "failed"},
            "leak": {"none": "good", "weeping": "fair", "leaking": "poor", "burst": "failed"},
        },
        source_vi="cách đánh giá ống chính khi đào lộ của công ty cấp nước: mức xấu hơn của "
                  "ăn mòn và rò rỉ",
    ),
)

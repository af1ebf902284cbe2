/// The commented starter configuration `bulletinlint init` writes.
public enum StarterConfig {
    public static let fileName = ".bulletinlint.yaml"

    public static let text = """
    # bulletinlint 配置文件。
    # bulletinlint 从被检查文件所在的目录向上查找最近的 .bulletinlint.yaml；
    # 也可以用 --config 指定。说明见 docs/RULES.md。

    # 继承内置规则集（default：按文件类别，简报用简报规则、公文用公文规则；bulletin：工作简报；
    # gongwen：公文；sichuan-difangzhi：示例本单位规则），也可以写相对路径的规则文件，
    # 如 rules/本单位.yaml。后面的优先。
    extends: [default]

    # 只检查这些文件（相对于本文件所在目录的路径模式；** 表示任意层目录）。
    include: ["**/*.txt", "**/*.md", "**/*.docx", "**/*.doc", "**/*.wps", "**/*.ofd", "**/*.pdf"]

    # 不检查这些文件。
    exclude: ["草稿/**", "**/*.bak.txt"]

    # 调整继承来的规则：改级别、改参数，或关闭（off）。
    overrides:
      date-spacing: { severity: error }   # 把警告升为错误
      redundant-wording: off              # 关闭一条规则

    # 本单位自己的规则。每条规则都要有示例，bulletinlint test-rules 会逐条运行。
    rules:
      - id: banned-terms
        check: substitution
        scope: document
        swap:
          微信群: 工作群
        severity: warning
        message: “{text}”应改为“{replacement}”
        help: 本单位用语规范。
        examples:
          valid: ["【工作动态】\\n某市召开会议\\n会议通过工作群通知。（某办）"]
          invalid: ["【工作动态】\\n某市召开会议\\n会议通过↓微信群通知。（某办）"]

    # 对部分文件忽略某条规则，必须写明理由；没有起作用的条目会被报告。需要时去掉下面的 # 号：
    # ignore:
    #   - path: "历史档案/**"
    #     rule: date-spacing
    #     reason: 历史档案由 PDF 转换而来，日期中的空格是转换造成的
    """
}

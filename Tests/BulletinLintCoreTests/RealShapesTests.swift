import BulletinLintCore
import Foundation
import XCTest

/// The shapes real 简报 and 公文 take (issue: "Real documents, read right"), each pinned with a
/// fixture in the shape of a real document, parsed with the default rule set.
final class RealShapesTests: XCTestCase {
    private func read(_ text: String) throws -> Bulletin { try parse(text, rules: "default") }
    private func findings(_ text: String) throws -> [Diagnostic] { try lint(text, rules: "default") }

    /// A 公文 around a 版记 variant.
    private func gongwen(footer: String, signing: String = "2019年5月14日") -> String {
        """
        四川省人民政府办公厅文件
        川办发〔2019〕59号
        关于进一步做好政务公开工作的通知
        各市（州）人民政府，省政府各部门、各直属机构：
        为深入贯彻落实《中华人民共和国政府信息公开条例》，现就有关事项通知如下。
        四川省人民政府办公厅
        \(signing)
        \(footer)
        """
    }

    // MARK: 信息公开

    func testEveryDisclosureFormHasItsValue() throws {
        let forms: [(String, String)] = [
            ("信息公开选项：主动公开", "主动公开"), ("信息公开选项:依申请公开", "依申请公开"),
            ("政府信息公开选项：不予公开", "不予公开"), ("政府信息公开选项:主动公开", "主动公开"),
            ("信息公开属性：不公开", "不公开"), ("信息公开属性:不公开", "不公开"),
            ("公开方式：主动公开", "主动公开"), ("信息公开形式：主动公开", "主动公开"),
            ("（此件公开发布）", "主动公开"), ("（此件主动公开）", "主动公开"), ("（此件依申请公开）", "依申请公开"),
            ("（此件不予公开）", "不予公开"), ("（此件不公开）", "不予公开"), ("(此件公开发布)", "主动公开"),
            ("（信息公开形式：主动公开）", "主动公开"), ("（信息公开选项：依申请公开）", "依申请公开"),
        ]
        for (line, value) in forms {
            let document = try read(gongwen(footer: "\(line)\n抄送：省委办公厅。\n四川省人民政府办公厅秘书处 2019年5月14日印发"))
            let disclosure = try XCTUnwrap(document.first("disclosure"), line)
            XCTAssertEqual(disclosure.fields["value"], value, line)
            XCTAssertEqual(disclosure.text, line)
        }
    }

    // MARK: 报送名单

    func testEveryDistributionLabel() throws {
        let labels: [(String, String)] = [
            ("报", "report-to"), ("送", "send-to"), ("发", "issue-to"), ("抄送", "copy-to"), ("抄", "copy-to"),
            ("抄报", "copy-report-to"), ("主送", "main-to"), ("分送", "distribute-to"), ("发送", "dispatch-to"),
            ("印送", "print-send-to"), ("内部发送", "internal-send-to"),
        ]
        for (label, kind) in labels {
            let document = try read("信息公开选项：主动公开\n\(label)：省委，省人民政府。\n某某办公室 2021年4月2日印发")
            let list = try XCTUnwrap(document.first(kind), label)
            XCTAssertEqual(list.entries.map(\.text), ["省委", "省人民政府"], label)
        }
    }

    func testALabelAloneWithItsEntriesOnTheNextLines() throws {
        let document = try read("报：\n省委、省政府领导同志，应急管理部，\n国家防总办公室。\n分送：\n各地级以上市应急管理局\n某某办公室 2022年6月21日印发")
        XCTAssertEqual(document.first("report-to")?.entries.map(\.text), ["省委、省政府领导同志", "应急管理部", "国家防总办公室"])
        XCTAssertEqual(document.first("distribute-to")?.entries.map(\.text), ["各地级以上市应急管理局"])
        XCTAssertEqual(document.first("imprint")?.fields["date"], "2022-06-21")
    }

    func testEntriesSeparatedByDunhaoOrSemicolon() throws {
        let document = try read("抄送：省委办公厅、省政府办公厅\n报：省委；省政府。\n某某办公室 2021年4月2日印发")
        XCTAssertEqual(document.first("copy-to")?.entries.map(\.text), ["省委办公厅", "省政府办公厅"])
        XCTAssertEqual(document.first("report-to")?.entries.map(\.text), ["省委", "省政府"])
    }

    // MARK: 版记 that is not the last thing in the file

    func testAttachmentAfterTheFooterStaysOutOfIt() throws {
        let text = gongwen(footer: "抄送：省委办公厅。\n四川省人民政府办公厅秘书处 2019年5月14日印发\n附件1\n政务公开工作要点\n一、加强政策解读。")
        let document = try read(text)
        XCTAssertTrue(document.following.isEmpty)
        XCTAssertEqual(document.first("imprint")?.fields["date"], "2019-05-14")
        let errors = try findings(text).filter { $0.severity == .error }.map(\.ruleID)
        XCTAssertEqual(errors, [])
    }

    func testTwoDocumentsInOneFileAreReadApart() throws {
        let first = gongwen(footer: "抄送：省委办公厅。\n四川省人民政府办公厅秘书处 2019年5月14日印发")
        let second = """
        四川省人民政府办公厅文件
        川办发〔2019〕60号
        关于做好防汛工作的通知
        各市（州）人民政府：
        请做好防汛工作。
        四川省人民政府办公厅
        2019年5月20日
        抄送：省委办公厅。
        四川省人民政府办公厅秘书处 2019年5月20日印发
        """
        let document = try read(first + "\n- 3 -\n" + second)
        XCTAssertEqual(document.documents.count, 2)
        XCTAssertEqual(document.documents.map { $0.elements(ofKind: "doc-number").count }, [1, 1])
        XCTAssertEqual(document.documents.map(\.date), ["2019-05-14", "2019-05-20"])
        XCTAssertEqual(document.documents.map { $0.genre.wenzhong }, ["通知", "通知"])
        // Each is checked as a document of its own: no "two 发文字号" or order findings.
        XCTAssertEqual(try findings(first + "\n" + second).filter { $0.severity == .error }.map(\.ruleID), [])
    }

    // MARK: Titles, paragraphs, marks above the masthead

    func testTitleBlankLineAndOneLineParagraphs() throws {
        let text = """
        四川省地方志工作简报
        第5期

        宜宾市扎实推进地方志工作高质量发展

        2月17日，宜宾市召开全市地方志工作会议，部署全年工作

        会议要求各地抓好落实。（宜宾市地方志办）

        泸州市召开年鉴编纂会议

        3月2日，泸州市召开会议。

        会议强调，要提高质量。（泸州市地方志办）
        """
        let document = try read(text)
        XCTAssertEqual(document.elements(ofKind: "article-title").map(\.text), ["宜宾市扎实推进地方志工作高质量发展", "泸州市召开年鉴编纂会议"])
        XCTAssertEqual(document.elements(ofKind: "paragraph").first?.text, "2月17日，宜宾市召开全市地方志工作会议，部署全年工作")
        XCTAssertFalse(try findings(text).contains { $0.ruleID == "title-missing" || $0.ruleID == "attribution-missing" })
    }

    func testTitleOverTwoLinesAndASubtitle() throws {
        let document = try read("""
        山东自然资源工作动态
        第9期

        关于全省防御强降雨
        工作情况的报告

        6月以来，我省出现多轮强降雨过程。（省应急管理厅）

        全省耕地保护工作推进会召开
        ——着力提升耕地保护水平
        5月6日，省自然资源厅召开全省耕地保护工作推进会。（省自然资源厅）
        """)
        XCTAssertEqual(document.elements(ofKind: "article-title").map(\.text),
                       ["关于全省防御强降雨工作情况的报告", "全省耕地保护工作推进会召开——着力提升耕地保护水平"])
    }

    func testMarksAboveTheMasthead() throws {
        for (mark, kind) in [("特急", "urgency"), ("加急", "urgency"), ("内部资料　注意保存", "internal-mark"), ("秘密★1年", "secrecy")] {
            let document = try read("\(mark)\n四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n某市召开会议。（某市地方志办）")
            XCTAssertEqual(document.first(kind)?.text, mark)
            XCTAssertEqual(document.first("bulletin-name")?.fields["name"], "四川省地方志工作简报", mark)
            XCTAssertEqual(document.genre.kind, .bulletin, mark)
            XCTAssertEqual(document.elements(ofKind: "article-title").map(\.text), ["某市召开会议"], mark)
        }
        XCTAssertEqual(try read("秘密★1年\n特急\n某某文件\n某发〔2020〕1号\n关于某事的通知").first("secrecy")?.fields["level"], "秘密")
    }

    func testATableOfContentsIsNotAnArticle() throws {
        let masthead = "内部资料\n注意保存\n某某省水利工作简报\n第12期\n某某省水利厅办公室编印　　2022年7月15日\n"
        let articles = "全省水利工作会议召开\n7月12日，全省水利工作会议在省城召开。（厅办公室）\n某某市推进河长制工作\n某某市全面推行河长制。（某某市水利局）\n"
        let footer = "报：水利部。\n某某省水利厅办公室　　2022年7月15日印发\n"
        for contents in ["本期要目\n◆全省水利工作会议召开\n◆某某市推进河长制工作\n", "【本期目录】\n全省水利工作会议召开\n某某市推进河长制工作\n"] {
            let text = masthead + contents + articles + footer
            let document = try read(text)
            XCTAssertEqual(document.first("contents")?.entries.map(\.text), ["全省水利工作会议召开", "某某市推进河长制工作"], contents)
            XCTAssertEqual(document.elements(ofKind: "article-title").map(\.text), ["全省水利工作会议召开", "某某市推进河长制工作"], contents)
            XCTAssertEqual(document.elements(ofKind: "internal-mark").map(\.text), ["内部资料", "注意保存"])
            XCTAssertEqual(try findings(text).filter { $0.severity != .info && $0.ruleID != "disclosure-missing" }.map(\.ruleID), [], contents)
        }
    }

    func testMastheadVariantsOfOtherOffices() throws {
        let text = "（内部资料）\n某某县委信息\n第5期\n（总第125期）\n主办：中共某某县委办公室　　2021年4月2日\n【工作动态】\n某镇召开会议\n某镇召开会议。（某镇党委）\n报送：市委办公室。\n中共某某县委办公室　　2021年4月2日印发\n"
        let document = try read(text)
        XCTAssertEqual(document.first("internal-mark")?.fields["mark"], "内部资料")
        XCTAssertEqual(document.first("issue-total")?.fields["total"], "125")
        XCTAssertEqual(document.first("compiler")?.fields, ["name": "中共某某县委办公室", "date": "2021-04-02"])
        XCTAssertEqual(document.first("report-to")?.entries.map(\.text), ["市委办公室"])
        XCTAssertEqual(document.elements(ofKind: "article-title").map(\.text), ["某镇召开会议"])
        XCTAssertEqual(try findings(text).filter { $0.severity == .error }.map(\.ruleID), [])
    }

    // MARK: Shapes a review found misread

    func testALineAnnouncingWhatFollowsDoesNotEndAnArticle() throws {
        let text = "某某县委信息\n第5期\n\n某县推进乡村振兴\n\n今年以来，某县多措并举，主要做法如下：\n\n强化组织领导\n\n县委高度重视乡村振兴工作。（某县委办）\n"
        let document = try read(text)
        XCTAssertEqual(document.elements(ofKind: "article-title").map(\.text), ["某县推进乡村振兴"])
        XCTAssertFalse(try findings(text).contains { $0.ruleID == "attribution-missing" })
    }

    func testBulletedContentsEndAtTheFirstUnmarkedLine() throws {
        let text = "某某市地方志简报\n第5期\n本期要目\n◆市委召开防汛工作会议……1\n市委召开全市防汛工作会议\n6月5日，市委召开全市防汛工作会议，市委书记出席会议并讲话。（市委办）\n"
        let document = try read(text)
        XCTAssertEqual(document.first("contents")?.entries.map(\.text), ["市委召开防汛工作会议……1"])
        XCTAssertEqual(document.elements(ofKind: "article-title").map(\.text), ["市委召开全市防汛工作会议"])
    }

    func testANoticeWithoutAddresseeKeepsItsFirstParagraph() throws {
        let document = try read("某市人民政府关于禁止燃放烟花爆竹的通告\n为保障公共安全，根据《中华人民共和国大气污染防治法》等规定，现通告如下：\n一、全市禁止燃放烟花爆竹。\n某市人民政府\n2023年1月5日\n")
        XCTAssertNil(document.first("addressee"))
        XCTAssertEqual(document.first("doc-title")?.fields["wenzhong"], "通告")
    }

    func testABylineIsNotPartOfTheTitle() throws {
        let document = try read("某某市地方志简报\n第5期\n\n市委召开全市防汛工作会议\n本刊记者 张三\n\n6月5日，市委召开全市防汛工作会议。（市委办）\n")
        XCTAssertEqual(document.elements(ofKind: "article-title").map(\.text), ["市委召开全市防汛工作会议"])
    }

    func testACitedNoticeInABulletinDoesNotMakeItAnOfficialDocument() throws {
        let text = "【工作动态】\n市地方志办传达学习省委文件精神\n3月5日，市地方志办召开会议，传达学习省委办公厅《关于加强地方志工作的通知\n》精神。（市地方志办）\n报：市委。\n市地方志办 2021年3月8日印发\n"
        XCTAssertEqual(try read(text).genre.kind, .bulletin)
    }

    func testASentenceEndingInADateAndYinfaIsNotAnImprint() throws {
        let text = gongwen(footer: "抄送：省委办公厅。\n四川省人民政府办公厅秘书处 2019年5月14日印发")
            .replacingOccurrences(of: "现就有关事项通知如下。", with: "根据省政府办公厅2019年3月1日印发\n的《政务公开办法》，结合实际，现就有关事项通知如下。")
        let document = try read(text)
        XCTAssertEqual(document.elements(ofKind: "imprint").map { $0.fields["date"] }, ["2019-05-14"])
        XCTAssertEqual(document.first("signing-date")?.fields["date"], "2019-05-14")
    }

    func testAnAttachmentAfterTheFooterIsNotASecondDocument() throws {
        let text = gongwen(footer: "抄送：省委办公厅。\n四川省人民政府办公厅秘书处 2019年5月14日印发\n附件1\n关于政务公开工作情况的报告\n一、基本情况。")
        XCTAssertEqual(try read(text).documents.count, 1)
    }

    func testJointIssuersWithWenjianOnItsOwnLine() throws {
        let document = try read("某某省发展改革委\n某某省财政厅\n文件\n某发改〔2020〕5号\n关于某事的通知\n各市发展改革委：\n请按时报送。\n")
        XCTAssertEqual(document.first("issuer-mark")?.fields["issuer"], "某某省发展改革委、某某省财政厅")
    }

    // MARK: 印发 lines and 成文日期

    func testImprintVariants() throws {
        let cases: [(String, String, String)] = [
            ("某县人民政府办公室　二〇〇三年十月十六日印发", "某县人民政府办公室", "2003-10-16"),
            ("MPA秘书处办公室 二OO三年十月十六日印发", "MPA秘书处办公室", "2003-10-16"),
            ("某县人民政府办公室\n2019年5月14日印发", "某县人民政府办公室", "2019-05-14"),
            ("某县人民政府办公室　　２０１９年５月１４日印发", "某县人民政府办公室", "2019-05-14"),
            ("某县人民政府办公室　2020年8月 4 日印发", "某县人民政府办公室", "2020-08-04"),
            ("某县人民政府办公室\u{2003}\u{2003}2020年8月4日印发", "某县人民政府办公室", "2020-08-04"),
            ("某县人民政府办公室\u{00A0}\t2020年8月4日印发", "某县人民政府办公室", "2020-08-04"),
            ("某县人民政府办公室2020年8月4日印发", "某县人民政府办公室", "2020-08-04"),
        ]
        for (line, issuer, date) in cases {
            let imprint = try XCTUnwrap(try read("抄送：县委办公室。\n\(line)").first("imprint"), line)
            XCTAssertEqual(imprint.fields["issuer"], issuer, line)
            XCTAssertEqual(imprint.fields["date"], date, line)
        }
    }

    func testSigningDatesOfBothStandards() throws {
        for (written, iso) in [("二〇〇九年十一月二十七日", "2009-11-27"), ("2019年5月14日", "2019-05-14"), ("２０１９年５月１４日", "2019-05-14")] {
            let document = try read(gongwen(footer: "抄送：省委办公厅。", signing: written))
            XCTAssertEqual(document.first("signing-date")?.fields["date"], iso, written)
        }
    }

    // MARK: 公文 parts and one finding per problem

    func testOfficialDocumentParts() throws {
        let document = try read(gongwen(footer: "（此件公开发布）\n抄送：省委办公厅，省人大常委会办公厅。\n四川省人民政府办公厅秘书处 2019年5月14日印发"))
        XCTAssertEqual(document.genre.kind, .official)
        XCTAssertEqual(document.genre.wenzhong, "通知")
        XCTAssertEqual(document.first("doc-title")?.fields["wenzhong"], "通知")
        XCTAssertEqual(document.first("addressee")?.entries.map(\.text), ["各市（州）人民政府", "省政府各部门、各直属机构"])
        XCTAssertEqual(document.first("doc-number")?.fields["number"], "59")
        XCTAssertEqual(document.first("signing-date")?.fields["date"], "2019-05-14")
        XCTAssertEqual(document.first("disclosure")?.fields["value"], "主动公开")
        // No bulletin structure in a 公文.
        XCTAssertEqual(document.elements(ofKind: "article-title").count, 0)
        XCTAssertEqual(document.elements(ofKind: "attribution").count, 0)
    }

    /// The shapes of 公文 as offices publish them, none of which deserves a finding: a 发文字号 with
    /// 签发人, a title broken after the 发文机关, a 主送 over two lines, headings, a deadline after
    /// the 印发日期, 附件说明, a 附注, rules between 版记 lines, page numbers.
    func testAnOrdinaryOfficialDocumentRaisesNothing() throws {
        let text = """
        秘密★1年
        特急
        某某省人民政府办公厅文件
        某政办发〔2021〕12号　　　　签发人：王某某
        某某省人民政府办公厅
        关于印发《某某省防汛抗旱应急预案》的通知
        各市、县（区）人民政府，省政府各部门、各直属机构，
        有关单位：
        《某某省防汛抗旱应急预案》已经省政府同意，现印发给你们，请认真贯彻执行。
        一、各地要于2021年6月30日前完成预案修订，并报省应急管理厅备案。
        二、各部门要加强协作配合。
        （一）落实责任。
        1.明确分工。
        附件：1．某某省防汛抗旱应急预案
        　　　2．防汛抗旱工作联系表
        某某省人民政府办公厅
        2021年5月20日
        （此件公开发布）
        - 1 -
        ——————————————————————
        抄送：省委各部门，省人大常委会办公厅，省政协办公厅，
        　　　省法院，省检察院。
        ——————————————————————
        某某省人民政府办公厅秘书处　　　　　2021年5月20日印发
        """
        let document = try read(text)
        XCTAssertEqual(document.genre.kind, .official)
        XCTAssertEqual(document.first("doc-title")?.fields["wenzhong"], "通知")
        XCTAssertEqual(document.first("addressee")?.entries.map(\.text), ["各市、县（区）人民政府", "省政府各部门、各直属机构", "有关单位"])
        XCTAssertEqual(document.first("doc-number")?.fields["number"], "12")
        XCTAssertEqual(document.first("secrecy")?.fields["level"], "秘密")
        XCTAssertEqual(document.first("copy-to")?.entries.map(\.text), ["省委各部门", "省人大常委会办公厅", "省政协办公厅", "省法院", "省检察院"])
        let findings = try findings(text).filter { $0.severity != .info }
        XCTAssertEqual(findings.map { "\($0.ruleID)@\($0.span.start.line)" }, [])
    }

    /// A 公文 as a government website publishes it: the site's lines above the title, no 版头 and
    /// no 版记. Its genre is read; nothing of the 版头 or 版记 is "missing" from a text that never
    /// had them, and the site's lines are not taken into the title.
    func testAPublishedTextWithoutHeadOrFooterIsNotMissingThem() throws {
        let text = """
        首页 > 政务公开 > 通知公告
        发布时间：2019-05-14 来源：县政府办公室
        【字体：大 中 小】【打印本页】
        某县人民政府关于进一步加强安全生产工作的通知
        各乡镇人民政府，县政府各部门：
        为进一步加强全县安全生产工作，现就有关事项通知如下：
        一、压实安全生产责任。
        二、开展隐患排查。5月20日至6月30日，在全县开展安全生产隐患排查整治。
        某县人民政府
        2019年5月14日
        （此件公开发布）
        【关闭窗口】
        """
        let document = try read(text)
        XCTAssertEqual(document.first("doc-title")?.text, "某县人民政府关于进一步加强安全生产工作的通知")
        XCTAssertEqual(document.genre.wenzhong, "通知")
        XCTAssertEqual(document.first("disclosure")?.fields["value"], "主动公开")
        XCTAssertEqual(try findings(text).filter { $0.severity == .error }.map(\.ruleID), [])
        // With its 版头, the same 公文 must have its 发文字号 and 印发 line.
        let withHead = "某县人民政府文件\n" + text
        XCTAssertEqual(Set(try findings(withHead).filter { $0.severity == .error }.map(\.ruleID)), ["doc-number-missing", "imprint-missing"])
    }

    func testHalfWidthAttributionIsOneFinding() throws {
        let found = try findings("四川省地方志工作简报\n第5期\n【县区动态】\n某县召开会议\n会议要求各地抓好落实。(县委办)")
        let about = ["attribution-format", "halfwidth-punctuation", "attribution-missing", "paired-punctuation"]
        XCTAssertEqual(found.filter { about.contains($0.ruleID) }.map(\.ruleID), ["attribution-format"])
        XCTAssertFalse(found.contains { $0.ruleID == "attribution-missing" })
    }
}

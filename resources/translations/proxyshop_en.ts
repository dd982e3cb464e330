<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ActivityLog</name>
    <message numerus="yes">
        <source>%Ln events</source>
        <translation>
            <numerusform>%Ln event</numerusform>
            <numerusform>%Ln events</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CliCounted</name>
    <message numerus="yes">
        <source>%Ln proxies</source>
        <extracomment>QLocale&apos;s Russian separators: a no-break space between thousands, a comma before decimals</extracomment>
        <translation>
            <numerusform>%Ln proxy</numerusform>
            <numerusform>%Ln proxies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln orders</source>
        <translation>
            <numerusform>%Ln order</numerusform>
            <numerusform>%Ln orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln sold orders</source>
        <translation>
            <numerusform>%Ln sold order</numerusform>
            <numerusform>%Ln sold orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln sold.</source>
        <translation>
            <numerusform>%Ln sold.</numerusform>
            <numerusform>%Ln sold.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %Ln countries</source>
        <translation>
            <numerusform>in %Ln country</numerusform>
            <numerusform>in %Ln countries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %Ln pages</source>
        <translation>
            <numerusform>in %Ln page</numerusform>
            <numerusform>in %Ln pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln purchases recovered</source>
        <translation>
            <numerusform>%Ln purchase recovered</numerusform>
            <numerusform>%Ln purchases recovered</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending orders settled</source>
        <translation>
            <numerusform>%Ln pending order settled</numerusform>
            <numerusform>%Ln pending orders settled</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln voided</source>
        <translation>
            <numerusform>%Ln voided</numerusform>
            <numerusform>%Ln voided</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The provider does not know %Ln local orders:</source>
        <translation>
            <numerusform>The provider does not know %Ln local order:</numerusform>
            <numerusform>The provider does not know %Ln local orders:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Counted</name>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing… saving %Ln proxies</source>
        <translation>
            <numerusform>Syncing… saving %Ln proxy</numerusform>
            <numerusform>Syncing… saving %Ln proxies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing… confirming a large removal: page {0} · %Ln proxies</source>
        <translation>
            <numerusform>Syncing… confirming a large removal: page {0} · %Ln proxy</numerusform>
            <numerusform>Syncing… confirming a large removal: page {0} · %Ln proxies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing… page {0} of {1} · %Ln proxies</source>
        <translation>
            <numerusform>Syncing… page {0} of {1} · %Ln proxy</numerusform>
            <numerusform>Syncing… page {0} of {1} · %Ln proxies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing… page {0} · %Ln proxies</source>
        <translation>
            <numerusform>Syncing… page {0} · %Ln proxy</numerusform>
            <numerusform>Syncing… page {0} · %Ln proxies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Synced {0} · %Ln proxies (+{1} −{2})</source>
        <translation>
            <numerusform>Synced {0} · %Ln proxy (+{1} −{2})</numerusform>
            <numerusform>Synced {0} · %Ln proxies (+{1} −{2})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{0}: %Ln proxies</source>
        <translation>
            <numerusform>{0}: %Ln proxy</numerusform>
            <numerusform>{0}: %Ln proxies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InventoryTab</name>
    <message numerus="yes">
        <source>%Ln proxies</source>
        <translation>
            <numerusform>%Ln proxy</numerusform>
            <numerusform>%Ln proxies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{0} of %Ln proxies</source>
        <translation>
            <numerusform>{0} of %Ln proxy</numerusform>
            <numerusform>{0} of %Ln proxies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfitPanel</name>
    <message numerus="yes">
        <source>last %n days</source>
        <translation>
            <numerusform>last %n day</numerusform>
            <numerusform>last %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SalesTab</name>
    <message numerus="yes">
        <source>Copied %n credential lines to the clipboard.</source>
        <translation>
            <numerusform>Copied %n credential line to the clipboard.</numerusform>
            <numerusform>Copied %n credential lines to the clipboard.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n orders to {0}</source>
        <translation>
            <numerusform>Exported %n order to {0}</numerusform>
            <numerusform>Exported %n orders to {0}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SellDialog</name>
    <message numerus="yes">
        <source>Sell %n proxies</source>
        <translation>
            <numerusform>Sell %n proxy</numerusform>
            <numerusform>Sell %n proxies</numerusform>
        </translation>
    </message>
</context>
</TS>
